"""Local fake servers for the ad platforms: real HTTP on 127.0.0.1, a random port, a thread.

Tests point the live clients at them through the base URL settings, so what is
checked is what actually goes over the wire.
"""
