-- Placeholder used only while images/framework/sql/<version>/db_tars_web.sql is missing.

SET NAMES utf8;

DROP TABLE IF EXISTS `t_profile`;
CREATE TABLE `t_profile` (
  `id` int(11) NOT NULL AUTO_INCREMENT,
  `uid` varchar(128) NOT NULL DEFAULT '',
  `profile` text,
  PRIMARY KEY (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;
