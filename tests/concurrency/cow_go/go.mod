module gomaplab/cowcheck

go 1.19
