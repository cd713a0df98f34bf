"""Party members and residents: the registry, both affiliations (membership and residence),
membership history, dual reporting, posts, transfers, roster import and export."""
