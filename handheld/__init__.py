"""The picker's side: a client of the edge's handheld API (the Kivy app comes later)."""
