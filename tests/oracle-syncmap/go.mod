module gomaplab/oraclesyncmap

go 1.19
