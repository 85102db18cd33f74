"""Placeholder until this page lands (see the issue for the board views/trends/import)."""

import streamlit as st

from pages.ui import shell

view = shell.page_view()
st.title("trends")
st.info("This page is being built.")
