"""Static site generator for multilingual event microsites: load → validate → model → render → write."""
