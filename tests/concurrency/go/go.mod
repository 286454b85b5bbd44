module gomaplab/racecheck

go 1.19
