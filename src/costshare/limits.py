"""The bounds costshare holds its input to, in one place (docs/config.md, "Limits", lists them).

Each is far beyond any real agreement between municipalities and far below what could exhaust
memory or time, so a mistyped or hostile file gets a one-line error instead of a hang.
"""

from __future__ import annotations

from decimal import Decimal

MAX_CONFIG_BYTES = 1024 * 1024  # alliance.yaml
MAX_POPULATION_BYTES = 16 * 1024 * 1024  # population.csv: about 300,000 rows
MAX_YAML_DEPTH = 20  # nesting of lists and mappings in alliance.yaml
MAX_AMOUNT = Decimal("1000000000000")  # 1.000.000.000.000 kr. per cost item and year
# The whole agreement's cost in øre: 15 digits is what a spreadsheet cell holds exactly, and every amount
# costshare writes (a member's total, a year's cost) is at most this.
MAX_TOTAL_MINOR = 10**15 - 1
MAX_POPULATION = 10**15  # a population or a weights file's figure (a tax base in kroner fits): every figure shown from it is exact
MIN_YEAR, MAX_YEAR = 1900, 2199  # agreement dates and population years
MAX_TEXT_LENGTH = 500  # characters in one name, label, note or source
# The shares one run works out: members × budget years × parts, where each cost item counts one part per base of
# its key (a blend of three counts 3) or per step of its rate, and billing one more per instalment a year. The time a
# run takes grows with this count; the largest agreements between municipalities (98 members, 10 items, 10 budget
# years, 12 instalments) come to about 22.000, and the largest count allowed validates within seconds.
MAX_SHARES = 400_000
MAX_REPLY_BYTES = 4 * 1024 * 1024  # a Statistics Denmark reply, after decompression
MAX_TIMEOUT = 600.0  # seconds, for a whole fetch

# Where and how long population fetch asks by default (here, not in statbank.py, so the CLI can show
# them without importing the network code).
DEFAULT_API_URL = "https://api.statbank.dk/v1/data"
DEFAULT_TIMEOUT = 30.0
MAX_REGISTER_BYTES = 64 * 1024 * 1024  # register.csv: about 200,000 issued documents
MAX_KEPT_BYTES = 1024 * 1024  # one issued e-invoice kept beside the register: a few KB, and about 17 KB more with its statement
# A workbook given as data (decided figures saved as XLSX): the file is held to MAX_POPULATION_BYTES; its parts, what
# they unpack to (a real workbook of that size unpacks to a few times as much; a zip bomb to far more), and the
# rows and columns a sheet is read to (98 members over 300 budget years, one row each, fit many times over).
MAX_WORKBOOK_PARTS = 1000
MAX_WORKBOOK_UNPACKED = 128 * 1024 * 1024
MAX_SHEET_ROWS = 100_000
MAX_SHEET_COLUMNS = 512
