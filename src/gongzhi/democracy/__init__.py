"""Democracy inside the party and in the village: resolutions voted with a quorum (show of hands or anonymous
secret ballot), the conversion of probationary members (转正), and 四议两公开 for village decisions."""
