"""Communication with customers and integrations: events, the schedule of reminders, templates, the e-mail outbox and
in-app notifications. Other areas call `services.emit_event` (or its invoice/account forms) inside their transaction."""
