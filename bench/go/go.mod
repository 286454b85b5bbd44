module gomaplab/mapbench

go 1.19
