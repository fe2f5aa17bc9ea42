from cchc_xl.cli import main

main()
