"""The read-only JSON API in Open Supporter Data Interface (OSDI) shapes, and its keys."""
