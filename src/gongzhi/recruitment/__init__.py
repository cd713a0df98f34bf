"""Recruitment (发展党员): applicants and activists as people (not members) taken through the five stages and 25
steps of the 2014 working rules, each step dated, documented and checked in order, until admission enters them in
the member registry as probationary members."""
