"""Recognition: titles and badges, the nomination list for outstanding party members, rankings and
the activation rate, read from the points ledger and the domain apps' service records (a layer above them)."""
