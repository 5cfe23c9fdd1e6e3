"""Dunning: the daily pass of the communication schedule, suspension after its last post-due step, write-offs and
reactivation on payment."""
