"""What makes the public appeal page persuade and spread: the photo, share links counted per
channel, link previews, and the pages that say who runs the appeal and what is kept."""
