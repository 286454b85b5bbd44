module gomaplab/swissbench

go 1.27
