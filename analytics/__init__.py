"""Analytics (issue 14): the part of CVPlus that watches itself. So far: the statistics of A/B experiments."""
