module gomaplab/syncmapbench

go 1.19
