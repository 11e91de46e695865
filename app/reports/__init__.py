"""The annual report to the Human Rights Council: figures built once, rendered in every format."""
