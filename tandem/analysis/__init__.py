"""Analysis engines: pure Python with numpy and scikit-learn; never imports Django."""
