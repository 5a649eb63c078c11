pytest tests/rules/test_x.py::test_y
python -m unittest -q tests.test_b.BTest.test_z
