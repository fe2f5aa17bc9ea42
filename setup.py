from setuptools import find_packages, setup

setup(
    name="cchc_xl",
    version="0.1.0",
    description="CCHC statistical appendix: Excel templates that check themselves, and district consolidation",
    packages=find_packages(include=["cchc_xl", "cchc_xl.*"]),
    package_data={"cchc_xl.forms": ["catalogs/*.toml", "cycle.toml"], "cchc_xl.commune": ["sample_data/*.toml", "sample_data/*.txt"]},
    python_requires=">=3.11",
    install_requires=[
        "openpyxl>=3.1,<4",
        "XlsxWriter>=3.3,<4",
        "python-calamine>=0.3",
        "python-docx>=1.1",
        "olefile>=0.46",
        "rapidfuzz>=3",
        "pandas>=2.0",
        "xlwings==0.37.8",
        "typer>=0.26,<0.29",  # 0.29 coerces every option through pydantic: 0.1 s more at each start
        "rich>=13",
    ],
    extras_require={
        "dev": ["pytest>=8", "hypothesis>=6.100", "oletools>=0.60", "msoffcrypto-tool>=5", "pypdf>=4"],
    },
    entry_points={"console_scripts": ["cchc-xl=cchc_xl.shells.cli:main"]},
)
