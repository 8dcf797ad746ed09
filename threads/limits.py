"""Text lengths the models and the importers' parsers both hold to.

Plain constants, so that parsing (``threads.importing.parsing``) can check text
without importing the models.
"""

# Comments longer than this are refused by the form and by model validation.
MAX_COMMENT_LENGTH = 10_000

ESSAY_TITLE_LENGTH = 300

# A comment's date as its source page showed it ("Jan 23", "3d").
SOURCE_DATE_LENGTH = 40

# Other text people write (forms, model validators and CHECK constraints hold to these).
MAX_REASON_LENGTH = 4_000  # reasons, skip reasons, notes on a case or an author
MAX_MESSAGE_LENGTH = 10_000  # call-ins, messages to and from an author
FLAG_NOTE_LENGTH = 2_000  # a reader's note on a flag
MAX_GUIDELINES_LENGTH = 10_000
MAX_ESSAY_TEXT_LENGTH = 500_000  # an essay pasted or written on the new-space page
