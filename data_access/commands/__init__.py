"""One module per subcommand; data_access.cli discovers them."""
