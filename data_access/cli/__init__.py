"""`python -m data_access ...`: the command line, one module per subcommand, listed in
command_list.COMMANDS."""
