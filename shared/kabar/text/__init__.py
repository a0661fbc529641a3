"""Pure text algorithms for Indonesian news: tag suggestion, relatedness, comment rules.

No AWS, no environment, no storage: functions and the ``kabar`` CLI run this same code.
"""
