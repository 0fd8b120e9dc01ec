"""Pages: from a loaded review to Markdown pages, templates, diagrams and analysis."""
