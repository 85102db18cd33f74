"""Read-only queries, one module per question the pages and papers ask (catalogue, review figures,
board lists, trends, link checks). Nothing here writes."""
