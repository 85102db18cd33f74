"""The domain rules, each in one place: RAG vocabulary, dates, overdue, wording, who may do what, slide
layout. Import nothing above them (no database, no files, no Streamlit)."""
