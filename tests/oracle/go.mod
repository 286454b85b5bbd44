module gomaplab/oracle

go 1.19
