recipients = ["age1wyzwfy4lzar5vfup4sq3tyjhef6pym5y0jw4tf7lhq9u7x2ngu7qc7gnvf"] # ERROR: Invalid recipients
groups = "admins" # ERROR: Invalid groups
