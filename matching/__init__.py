"""The pure matching library: plain typed inputs and outputs; it never imports `app`."""
