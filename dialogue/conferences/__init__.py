"""Internet conferences: an official at a scheduled time answers citizens' questions, which
were sent, up-voted and moderated beforehand; answers reach every viewer live; afterwards
the conference stays as a transcript."""
