"""The publicity board (党务/居务/村务公开) of each community and village with its catalogue and overdue list,
its public page and QR poster, residents' questions; news and notices for residents and members (宣传)."""
