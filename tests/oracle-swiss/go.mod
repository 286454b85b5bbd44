module Gomaplab/oracleswiss

go 1.26
