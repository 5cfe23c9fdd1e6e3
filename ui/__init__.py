"""The operator's NiceGUI app: pages per screen and shared components."""
