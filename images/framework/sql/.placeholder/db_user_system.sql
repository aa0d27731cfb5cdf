-- Placeholder used only while images/framework/sql/<version>/db_user_system.sql is missing.

SET NAMES utf8;

CREATE TABLE `t_auth` (
  `id` int(11) NOT NULL AUTO_INCREMENT,
  `flag` varchar(256) DEFAULT NULL,
  `role` varchar(256) DEFAULT NULL,
  `uid` varchar(256) DEFAULT NULL,
  PRIMARY KEY (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;
