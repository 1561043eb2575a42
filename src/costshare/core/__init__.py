"""The pure core: exact money, budget periods, the largest-remainder split and the allocation.

Standard library only, and nothing from the rest of costshare (tests/test_architecture.py holds
this): so the rules that decide who pays what can be read, tested and imported on their own.
"""
