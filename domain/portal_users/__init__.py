"""People of a customer who sign into the customer portal of a billing account."""
