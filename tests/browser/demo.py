"""Rows of the demo content (demo/content/techniek-doet-het.toml) that tests visit."""

STORYLINE = "robotica"  # a YouTube animation, schools, companies and a session
VIMEO_STORYLINE = "zorgtechniek"  # a Vimeo film
ORANGE_STORYLINE = "bouwen-en-installeren"  # #D9480F, no masterclass planned
SCHOOL = "vakcollege-westerdijk"
COMPANY = "robotwerk-hoorn"
NEWS = "tiny-house-op-het-schoolplein"  # has a picture
SEARCH_WORD = "robot"
