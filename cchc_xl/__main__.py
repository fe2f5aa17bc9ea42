from cchc_xl.shells.cli import main

main()
