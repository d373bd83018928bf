"""What crosses a boundary: wire message schemas and the shared status vocabulary."""
