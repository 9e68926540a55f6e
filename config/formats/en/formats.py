# A 24-hour clock: Django's English "6 p.m." ends in a period, which doubles up
# at the end of a sentence ("until July 10, 2027, 6 p.m..").
DATETIME_FORMAT = "N j, Y, H:i"
SHORT_DATETIME_FORMAT = "m/d/Y H:i"
TIME_FORMAT = "H:i"
