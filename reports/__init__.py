"""Documents and files for people: PDFs, CSV and Excel, and the pt-BR formats they (and the UI) use."""
