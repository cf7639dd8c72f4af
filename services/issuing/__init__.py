"""The issuing service: numbering, drafting, and each document's system of record."""
