"""Charts of a campaign drawn on the server as inline SVG: no script, nothing from another host."""
