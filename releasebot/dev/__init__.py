"""Tools for developing the rules language: the accuracy score over the labelled corpus."""
