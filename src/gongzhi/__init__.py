"""Gongzhi (共治): a platform for grassroots party organizations leading community governance."""
