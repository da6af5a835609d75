"""Every change in aftercare, one module per part: flare-up moments, the move
to aftercare and closing, long-term follow-up, evaluation and lessons."""
