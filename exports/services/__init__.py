"""Every change the exports make: HR export grants, and the record of each export."""
