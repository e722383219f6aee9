"""Models of the participation app arrive with the meldingen issue."""
