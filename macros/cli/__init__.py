"""The command line: each command a thin call into the layers below."""
